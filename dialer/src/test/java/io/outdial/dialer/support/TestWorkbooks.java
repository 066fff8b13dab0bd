package io.outdial.dialer.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/** Small XLSX files for the import tests: a header and two contacts per sheet, optionally with a formula. */
public final class TestWorkbooks {
    private TestWorkbooks() {
    }

    /**
     * An XLSX with {@code sheets} sheets of {@code phone,name} and two rows (an international and a national
     * Ukrainian number); with {@code formula} the second row's name is the formula {@code A2+1}.
     */
    public static byte[] contacts(int sheets, boolean formula) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream os = bytes) {
            Workbook wb = new Workbook(os, "outdial-test", "1.0");
            for (int s = 0; s < sheets; s++) {
                Worksheet ws = wb.newWorksheet("S" + s);
                ws.value(0, 0, "phone");
                ws.value(0, 1, "name");
                ws.value(1, 0, 380501111111L);
                ws.value(1, 1, "Olena");
                ws.value(2, 0, "0502222222");
                if (formula) {
                    ws.formula(2, 1, "A2+1");
                } else {
                    ws.value(2, 1, "Ivan");
                }
            }
            wb.finish();
        }
        return bytes.toByteArray();
    }
}
