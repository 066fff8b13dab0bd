#!/bin/sh
# Prints the ARI user section of ari.conf from the environment (ARI_USERNAME, ARI_PASSWORD).
# Run by Asterisk through "#exec" in ari.conf. Prints nothing (and complains on stderr) when the password
# is missing, so Asterisk starts without any ARI user rather than with a default password.
if [ -z "${ARI_PASSWORD}" ]; then
    echo "ari-user.sh: ARI_PASSWORD is not set: no ARI user configured" >&2
    exit 0
fi
printf '[%s]\ntype = user\nread_only = no\npassword = %s\npassword_format = plain\n' \
    "${ARI_USERNAME:-dialer}" "${ARI_PASSWORD}"
