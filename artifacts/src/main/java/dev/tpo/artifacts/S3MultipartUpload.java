package dev.tpo.artifacts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Uploads one big file as an S3 multipart upload. The object appears only when the upload completes, so a crash
 * midway leaves nothing visible; on failure the upload is aborted so its parts stop costing storage.
 */
final class S3MultipartUpload {
    static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    private static final long MAX_PARTS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(S3MultipartUpload.class);

    private final S3Client client;
    private final long partBytes;

    S3MultipartUpload(S3Client client, long partBytes) {
        if (partBytes < MIN_PART_BYTES) {
            throw new IllegalArgumentException("partSize must be >= 5 MiB (S3's minimum), got " + partBytes);
        }
        this.client = client;
        this.partBytes = partBytes;
    }

    void upload(String bucket, String objectKey, String uri, Path file, long fileBytes, Map<String, String> metadata)
            throws IOException {
        // S3 allows at most 10,000 parts, so a file too big for the configured part size gets bigger parts.
        long partSize = Math.max(partBytes, (fileBytes + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId = client.createMultipartUpload(CreateMultipartUploadRequest.builder()
                        .bucket(bucket)
                        .key(objectKey)
                        .metadata(metadata)
                        .build())
                .uploadId();
        try {
            List<CompletedPart> parts = uploadParts(bucket, objectKey, uploadId, file, fileBytes, partSize);
            client.completeMultipartUpload(CompleteMultipartUploadRequest.builder()
                    .bucket(bucket)
                    .key(objectKey)
                    .uploadId(uploadId)
                    .multipartUpload(
                            CompletedMultipartUpload.builder().parts(parts).build())
                    .build());
            LOG.debug("uploaded {} in {} parts", uri, parts.size());
        } catch (IOException | RuntimeException e) {
            abort(bucket, objectKey, uploadId, uri, e);
            throw e;
        }
    }

    private List<CompletedPart> uploadParts(
            String bucket, String objectKey, String uploadId, Path file, long fileBytes, long partSize)
            throws IOException {
        List<CompletedPart> parts = new ArrayList<>();
        // One reusable buffer per upload: parts are sent one after another, and a byte array (unlike a stream)
        // can be replayed by the SDK when it retries a part.
        byte[] buffer = new byte[(int) Math.min(partSize, fileBytes)];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long offset = 0;
            int partNumber = 1;
            while (offset < fileBytes) {
                int length = (int) Math.min(partSize, fileBytes - offset);
                readFully(channel, buffer, length, offset, file);
                String eTag = client.uploadPart(
                                UploadPartRequest.builder()
                                        .bucket(bucket)
                                        .key(objectKey)
                                        .uploadId(uploadId)
                                        .partNumber(partNumber)
                                        .contentLength((long) length)
                                        .build(),
                                RequestBody.fromContentProvider(
                                        () -> new ByteArrayInputStream(buffer, 0, length),
                                        length,
                                        "application/octet-stream"))
                        .eTag();
                parts.add(CompletedPart.builder()
                        .partNumber(partNumber)
                        .eTag(eTag)
                        .build());
                offset += length;
                partNumber++;
            }
        }
        return parts;
    }

    private static void readFully(FileChannel channel, byte[] buffer, int length, long offset, Path file)
            throws IOException {
        ByteBuffer target = ByteBuffer.wrap(buffer, 0, length);
        while (target.hasRemaining()) {
            if (channel.read(target, offset + target.position()) < 0) {
                throw new IOException(file + " shrank while it was being uploaded");
            }
        }
    }

    private void abort(String bucket, String objectKey, String uploadId, String uri, Exception cause) {
        try {
            client.abortMultipartUpload(AbortMultipartUploadRequest.builder()
                    .bucket(bucket)
                    .key(objectKey)
                    .uploadId(uploadId)
                    .build());
        } catch (SdkException abortFailure) {
            LOG.warn(
                    "could not abort the failed multipart upload of {}; a bucket lifecycle rule must clean it up", uri);
            cause.addSuppressed(abortFailure);
        }
    }
}
