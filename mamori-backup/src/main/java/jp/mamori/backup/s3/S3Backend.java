package jp.mamori.backup.s3;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jp.mamori.backup.repository.Backend;
import jp.mamori.backup.repository.ObjectKind;
import jp.mamori.backup.repository.ObjectNames;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockRetention;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A repository under a prefix of an S3 bucket with Object Lock. {@link #create} refuses an existing
 * name twice over: a HEAD first, then {@code If-None-Match: *} on the PUT, which S3 honours
 * atomically; the PUT carries a SHA-256 checksum, which Object Lock buckets require and which lets S3
 * reject bytes damaged on the way. A retention date given to {@code create} is set in COMPLIANCE mode
 * and can afterwards only be moved later ({@link #extendRetention}), by whoever holds that right.
 * Keys follow the local layout: {@code prefix/data/ab/abcd...}, {@code prefix/snapshots/...},
 * {@code prefix/config}.
 */
public final class S3Backend implements Backend {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String location;

    S3Backend(S3Client s3, String bucket, String prefix, String location) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.location = location;
    }

    /**
     * A backend for {@code s3:https://endpoint/bucket/prefix}. Credentials come from {@code
     * AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} (and {@code AWS_SESSION_TOKEN}) in {@code env}
     * when present, else from the SDK's standard chain (environment, profile, instance role); the
     * region from {@code AWS_REGION}, the endpoint's name, or {@code us-east-1}. Endpoints other than
     * AWS's are addressed path-style, which S3-compatible stores expect.
     */
    public static S3Backend fromUrl(String url, Map<String, String> env) {
        if (!url.startsWith("s3:")) {
            throw new IllegalArgumentException("an S3 repository URL starts with s3:https://, not: " + url);
        }
        URI uri;
        try {
            uri = URI.create(url.substring(3));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid S3 repository URL: " + url, e);
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "an S3 repository URL is s3:https://ENDPOINT/BUCKET/PREFIX, not: " + url);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/+", "");
        int slash = path.indexOf('/');
        String bucket = slash < 0 ? path : path.substring(0, slash);
        String prefix = slash < 0 ? "" : path.substring(slash + 1).replaceAll("/+$", "");
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("the S3 repository URL names no bucket: " + url);
        }
        URI endpoint = URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
        S3Client client = client(endpoint, env);
        return new S3Backend(client, bucket, prefix, "s3 " + endpoint + "/" + bucket + "/" + prefix);
    }

    static S3Client client(URI endpoint, Map<String, String> env) {
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        boolean aws = host.endsWith(".amazonaws.com");
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(!aws)
                .region(region(host, env))
                .credentialsProvider(credentials(env))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build();
    }

    private static Region region(String host, Map<String, String> env) {
        String configured = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
        if (configured != null && !configured.isBlank()) {
            return Region.of(configured);
        }
        // s3.ap-northeast-1.amazonaws.com, bucket.s3.ap-northeast-1.amazonaws.com
        String[] labels = host.split("\\.");
        for (int i = 0; i + 1 < labels.length; i++) {
            if (labels[i].startsWith("s3") && labels[i + 1].matches("[a-z]{2}-[a-z]+-\\d")) {
                return Region.of(labels[i + 1]);
            }
        }
        return Region.US_EAST_1;
    }

    private static AwsCredentialsProvider credentials(Map<String, String> env) {
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id != null && secret != null) {
            String session = env.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(
                    session != null
                            ? AwsSessionCredentials.create(id, secret, session)
                            : AwsBasicCredentials.create(id, secret));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public String location() {
        return location;
    }

    String key(ObjectKind kind, String name) {
        if (!ObjectNames.isValid(name)) {
            throw new IllegalArgumentException("not a valid object name: " + name);
        }
        if (kind == ObjectKind.CONFIG) {
            return prefix + name;
        }
        if (kind == ObjectKind.PACK) {
            return prefix + kind.folder() + "/" + name.substring(0, 2) + "/" + name;
        }
        return prefix + kind.folder() + "/" + name;
    }

    @Override
    public void create(ObjectKind kind, String name, byte[] content, @Nullable Instant retainUntil) throws IOException {
        String key = key(kind, name);
        if (exists(kind, name)) {
            throw new ObjectExistsException(kind, name);
        }
        PutObjectRequest.Builder put = PutObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .ifNoneMatch("*")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                .contentLength((long) content.length);
        if (retainUntil != null) {
            put.objectLockMode("COMPLIANCE").objectLockRetainUntilDate(retainUntil);
        }
        PutObjectResponse response;
        try {
            response = s3.putObject(put.build(), RequestBody.fromBytes(content));
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                // 412: the name appeared between the HEAD and the PUT; 409: a concurrent PUT of it is under way.
                throw new ObjectExistsException(kind, name);
            }
            throw failure("PUT", key, e);
        } catch (SdkClientException e) {
            throw unreachable("PUT", key, e);
        }
        if (retainUntil != null) {
            // Some S3-compatible stores ignore the lock headers on PUT; setting the same date again is
            // never a shortening, so S3 accepts it, and the object is certain to carry it.
            setRetention(key, response.versionId(), retainUntil, "PUT");
        }
    }

    private void setRetention(String key, @Nullable String versionId, Instant retainUntil, String what)
            throws IOException {
        try {
            s3.putObjectRetention(r -> r.bucket(bucket)
                    .key(key)
                    .versionId(versionId)
                    .retention(ObjectLockRetention.builder()
                            .mode(ObjectLockRetentionMode.COMPLIANCE)
                            .retainUntilDate(retainUntil)
                            .build()));
        } catch (S3Exception e) {
            throw failure(what + " retention until " + retainUntil + " on", key, e);
        } catch (SdkClientException e) {
            throw unreachable(what + " retention on", key, e);
        }
    }

    @Override
    public byte[] read(ObjectKind kind, String name) throws IOException {
        String key = key(kind, name);
        try {
            return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new NoSuchObjectException(kind, name);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchObjectException(kind, name);
            }
            throw failure("GET", key, e);
        } catch (SdkClientException e) {
            throw unreachable("GET", key, e);
        }
    }

    @Override
    public byte[] read(ObjectKind kind, String name, long offset, int length) throws IOException {
        String key = key(kind, name);
        if (length == 0) {
            return new byte[0];
        }
        ResponseBytes<GetObjectResponse> bytes;
        try {
            bytes = s3.getObjectAsBytes(
                    r -> r.bucket(bucket).key(key).range("bytes=" + offset + "-" + (offset + length - 1)));
        } catch (NoSuchKeyException e) {
            throw new NoSuchObjectException(kind, name);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchObjectException(kind, name);
            }
            if (e.statusCode() == 416) {
                throw new IOException(location + ": " + kind.folder() + "/" + name + " is shorter than "
                        + (offset + length) + " bytes: the object is truncated");
            }
            throw failure("GET", key, e);
        } catch (SdkClientException e) {
            throw unreachable("GET", key, e);
        }
        byte[] out = bytes.asByteArray();
        if (out.length != length) {
            throw new IOException(location + ": " + kind.folder() + "/" + name + " gave " + out.length
                    + " bytes from offset " + offset + ", not " + length + ": the object is truncated");
        }
        return out;
    }

    @Override
    public boolean exists(ObjectKind kind, String name) throws IOException {
        String key = key(kind, name);
        try {
            s3.headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("HEAD", key, e);
        } catch (SdkClientException e) {
            throw unreachable("HEAD", key, e);
        }
    }

    /** The COMPLIANCE (or other) retention date of an object's current version, or null for none. */
    public @Nullable Instant retention(ObjectKind kind, String name) throws IOException {
        String key = key(kind, name);
        try {
            ObjectLockRetention r =
                    s3.getObjectRetention(b -> b.bucket(bucket).key(key)).retention();
            return r == null ? null : r.retainUntilDate();
        } catch (NoSuchKeyException e) {
            throw new NoSuchObjectException(kind, name);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                // No such object, or (on some stores) an object without retention.
                if (!exists(kind, name)) {
                    throw new NoSuchObjectException(kind, name);
                }
                return null;
            }
            throw failure("GET retention of", key, e);
        } catch (SdkClientException e) {
            throw unreachable("GET retention of", key, e);
        }
    }

    @Override
    public List<StoredObject> list(ObjectKind kind) throws IOException {
        List<StoredObject> out = new ArrayList<>();
        if (kind == ObjectKind.CONFIG) {
            String key = key(kind, "config");
            try {
                long size = s3.headObject(r -> r.bucket(bucket).key(key)).contentLength();
                out.add(new StoredObject("config", size));
            } catch (NoSuchKeyException e) {
                // no config yet
            } catch (S3Exception e) {
                if (e.statusCode() != 404) {
                    throw failure("HEAD", key, e);
                }
            } catch (SdkClientException e) {
                throw unreachable("HEAD", key, e);
            }
            return out;
        }
        String folder = prefix + kind.folder() + "/";
        try {
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(folder))
                    .contents()) {
                String name = o.key().substring(o.key().lastIndexOf('/') + 1);
                if (ObjectNames.isValid(name)) {
                    out.add(new StoredObject(name, o.size()));
                }
            }
        } catch (S3Exception e) {
            throw failure("LIST", folder, e);
        } catch (SdkClientException e) {
            throw unreachable("LIST", folder, e);
        }
        return out;
    }

    /**
     * Removes every version of the object. With Object Lock, S3 refuses while a version's retention
     * has not run out, and a credential without {@code s3:DeleteObjectVersion} is refused outright:
     * both come back as {@link NotPermittedException}.
     */
    @Override
    public void delete(ObjectKind kind, String name) throws IOException {
        String key = key(kind, name);
        try {
            List<String> versions = new ArrayList<>();
            for (ListObjectVersionsResponse page :
                    s3.listObjectVersionsPaginator(r -> r.bucket(bucket).prefix(key))) {
                for (ObjectVersion v : page.versions()) {
                    if (v.key().equals(key)) {
                        versions.add(v.versionId());
                    }
                }
                page.deleteMarkers().stream()
                        .filter(m -> m.key().equals(key))
                        .forEach(m -> versions.add(m.versionId()));
            }
            if (versions.isEmpty()) {
                if (!exists(kind, name)) {
                    throw new NoSuchObjectException(kind, name);
                }
                s3.deleteObject(r -> r.bucket(bucket).key(key));
                return;
            }
            for (String version : versions) {
                s3.deleteObject(r -> r.bucket(bucket).key(key).versionId(version));
            }
        } catch (S3Exception e) {
            if (e.statusCode() == 403) {
                throw new NotPermittedException(location + " refused to delete " + key + ": " + describe(e)
                        + " (Object Lock retention not yet run out, or a credential without delete rights)");
            }
            throw failure("DELETE", key, e);
        } catch (SdkClientException e) {
            throw unreachable("DELETE", key, e);
        }
    }

    /** Moves the COMPLIANCE retention date later; an earlier or equal date leaves it as it is. */
    @Override
    public void extendRetention(ObjectKind kind, String name, Instant retainUntil) throws IOException {
        Instant current = retention(kind, name);
        if (current != null && !retainUntil.isAfter(current)) {
            return;
        }
        setRetention(key(kind, name), null, retainUntil, "extend");
    }

    @Override
    public void close() {
        s3.close();
    }

    private IOException failure(String what, String key, S3Exception e) {
        if (e.statusCode() == 403) {
            return new NotPermittedException(location + " refused " + what + " " + key + ": " + describe(e));
        }
        return new IOException(location + " answered " + what + " " + key + " with " + describe(e), e);
    }

    private static String describe(S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null
                ? e.getMessage()
                : e.awsErrorDetails().errorMessage();
        return e.statusCode() + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message);
    }

    private IOException unreachable(String what, String key, SdkClientException e) {
        return new IOException(location + " could not be reached for " + what + " " + key + ": " + e.getMessage(), e);
    }
}
