// Runs EPUBCheck on several EPUBs in one Java process (a JVM start costs seconds).
// Usage: java -cp epubcheck.jar EpubCheckBatch.java REPORT_DIR FILE.epub...
// Writes REPORT_DIR/<n>.json for the n-th file (1-based), in the format of `epubcheck --json`.
import com.adobe.epubcheck.tool.EpubChecker;
import java.io.File;

public class EpubCheckBatch {
    public static void main(String[] args) {
        File reports = new File(args[0]);
        for (int index = 1; index < args.length; index++) {
            File report = new File(reports, index + ".json");
            new EpubChecker().run(new String[] {args[index], "--quiet", "--json", report.getPath()});
        }
    }
}
