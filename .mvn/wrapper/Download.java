import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Downloads one URL to a file, for machines that have a JDK but neither curl nor wget. */
public class Download {
    public static void main(String[] args) throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<InputStream> r =
                http.send(HttpRequest.newBuilder(URI.create(args[0])).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            System.err.println("Download of " + args[0] + " failed: HTTP " + r.statusCode());
            System.exit(1);
        }
        try (InputStream in = r.body()) {
            Files.copy(in, Path.of(args[1]), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
