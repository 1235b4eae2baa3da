package sandbox

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// decodeAWSChunked reads an aws-chunked body (what the SDKs and CLI v2 send
// for uploads with trailing checksums or streaming signatures). With a
// signing key (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) each chunk's signature is
// checked against the chain that starts at the request's seed signature.
// It reads from body as it decodes, keeping only the decoded bytes, at most
// limit of them (errChunkTooLarge beyond).
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
func decodeAWSChunked(body io.Reader, key []byte, s *sigInfo, limit int64) ([]byte, error) {
	rd := bufio.NewReader(body)
	var out bytes.Buffer
	prev := ""
	if s != nil {
		prev = s.Signature
	}
	for {
		line, err := readLine(rd)
		if err != nil {
			return nil, fmt.Errorf("aws-chunked: chunk header: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		sizeHex, ext, _ := strings.Cut(line, ";")
		size, err := strconv.ParseInt(strings.TrimSpace(sizeHex), 16, 64)
		if err != nil || size < 0 {
			return nil, fmt.Errorf("aws-chunked: bad chunk size %q", sizeHex)
		}
		if int64(out.Len())+size > limit {
			return nil, errChunkTooLarge
		}
		chunk := make([]byte, size)
		if _, err := io.ReadFull(rd, chunk); err != nil {
			return nil, fmt.Errorf("aws-chunked: short chunk: %w", err)
		}
		if key != nil {
			sig, ok := strings.CutPrefix(ext, "chunk-signature=")
			if !ok || !chunkSigOK(key, s, prev, chunk, sig) {
				return nil, errChunkSignature
			}
			prev = sig
		}
		out.Write(chunk)
		if size == 0 {
			return out.Bytes(), nil // trailers (checksums) follow; the body is complete
		}
		if _, err := readLine(rd); err != nil {
			return nil, fmt.Errorf("aws-chunked: missing chunk end: %w", err)
		}
	}
}

var (
	errChunkSignature = errors.New("aws-chunked: a chunk signature does not match")
	errChunkTooLarge  = errors.New("aws-chunked: the decoded body is over the limit")
)

// readLine reads one chunk header line, at most 4 KiB (a signed chunk's
// header is under 100 bytes), so a body without line ends is not buffered.
func readLine(rd *bufio.Reader) (string, error) {
	var b strings.Builder
	for b.Len() < 4096 {
		c, err := rd.ReadByte()
		if err != nil {
			return "", err
		}
		b.WriteByte(c)
		if c == '\n' {
			return b.String(), nil
		}
	}
	return "", errors.New("chunk header line over 4 KiB")
}

func chunkSigOK(key []byte, s *sigInfo, prev string, chunk []byte, sig string) bool {
	sts := strings.Join([]string{
		"AWS4-HMAC-SHA256-PAYLOAD", s.Time.UTC().Format(amzDateLayout), s.scope(),
		prev, emptySHA256, sha256Hex(chunk),
	}, "\n")
	want, err := hex.DecodeString(sig)
	return err == nil && hmac.Equal(hmacSHA256(key, sts), want)
}
