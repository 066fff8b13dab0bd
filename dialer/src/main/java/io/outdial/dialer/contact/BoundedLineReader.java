package io.outdial.dialer.contact;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/** Fails a read once a line grows past a limit, so a file with a 10 MB line cannot fill the heap. */
final class BoundedLineReader extends FilterReader {
    private final int maxLineChars;
    private final String name;
    private int lineLength;
    private long line = 1;

    BoundedLineReader(Reader in, int maxLineChars, String name) {
        super(in);
        this.maxLineChars = maxLineChars;
        this.name = name;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            count((char) c);
        }
        return c;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        for (int i = 0; i < n; i++) {
            count(buf[off + i]);
        }
        return n;
    }

    private void count(char c) {
        if (c == '\n') {
            lineLength = 0;
            line++;
        } else if (++lineLength > maxLineChars) {
            throw new ImportException(ImportException.Reason.LINE_TOO_LONG, name + " line " + line
                    + " is longer than " + maxLineChars + " characters; is this a contact file with one row per line?");
        }
    }
}
