#!/bin/sh
# Renders ari-user.conf (the ARI user section that ari.conf includes) from the environment (ARI_USERNAME,
# ARI_PASSWORD). Run it before Asterisk starts on a host install:
#     ARI_PASSWORD=... sh ari-user.sh > /etc/asterisk/ari-user.conf && chmod 640 /etc/asterisk/ari-user.conf
# (docker-compose.yml renders the same file itself). Prints nothing (and complains on stderr) when the password
# is missing, so Asterisk starts without any ARI user rather than with a default password.
if [ -z "${ARI_PASSWORD}" ]; then
    echo "ari-user.sh: ARI_PASSWORD is not set: no ARI user configured" >&2
    exit 0
fi
printf '[%s]\ntype = user\nread_only = no\npassword = %s\npassword_format = plain\n' \
    "${ARI_USERNAME:-dialer}" "${ARI_PASSWORD}"
