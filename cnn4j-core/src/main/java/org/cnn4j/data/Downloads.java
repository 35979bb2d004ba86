package org.cnn4j.data;

import org.cnn4j.io.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Consumer;

/** Verified, atomic downloads and MD5 sums, shared by the dataset loaders. */
final class Downloads {
    private Downloads() {}

    static HttpClient client(HttpClient given, Duration timeout) {
        if (given != null) return given;
        return HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * Downloads {@code uri} into {@code target} atomically; with {@code md5} non-null the content must have
     * that MD5 or nothing is written. {@code hint} ends the message of an HTTP error.
     */
    static void fetch(HttpClient client, URI uri, Path target, String md5, Duration timeout, Consumer<String> log, String hint)
            throws IOException {
        log.accept("downloading " + uri + " -> " + target);
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading " + uri);
        } catch (IOException e) {
            throw new IOException("downloading " + uri + " failed: " + e, e);
        }
        try (InputStream body = resp.body()) {
            if (resp.statusCode() != 200)
                throw new IOException("downloading " + uri + " failed: HTTP " + resp.statusCode() + " (" + hint + ")");
            MessageDigest md = md5();
            AtomicFiles.write(target, out -> {
                byte[] buf = new byte[1 << 16];
                long total = 0;
                for (int r; (r = body.read(buf)) >= 0; ) {
                    md.update(buf, 0, r);
                    out.write(buf, 0, r);
                    total += r;
                }
                String actual = HexFormat.of().formatHex(md.digest());
                if (md5 != null && !md5.equals(actual))
                    throw new IOException("checksum mismatch for " + target.getFileName() + " downloaded from " + uri + " (" + total
                            + " bytes): expected MD5 " + md5 + ", got " + actual + "; the download was discarded");
            });
        }
        log.accept("downloaded " + target + (md5 != null ? " (MD5 verified)" : ""));
    }

    /** The MD5 of a file, lower-case hex. */
    static String md5(Path file) throws IOException {
        MessageDigest md = md5();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) >= 0; ) md.update(buf, 0, r);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }
}
