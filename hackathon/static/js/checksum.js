/* The SHA-256 of a file as the server computes it, read in chunks: a 2 GB video never sits
 * in memory whole (crypto.subtle would need it so, and is missing outside HTTPS).
 * The hash is @noble/hashes, vendored unchanged. */

import { sha256 } from "../vendor/noble-hashes-2.4.0/sha2.js";
import { bytesToHex } from "../vendor/noble-hashes-2.4.0/utils.js";

export const CHUNK_BYTES = 8 * 1024 * 1024;

/** The file's SHA-256 in hex. `onProgress(fraction)` follows the reading; `cancelled()` is
 * asked between chunks and stops the work with an Error named "CancelledError". The next
 * chunk is read while this one is hashed, so at most two are held at a time. */
export async function fileSha256(file, { chunkBytes = CHUNK_BYTES, onProgress = () => {}, cancelled = () => false } = {}) {
  const read = (offset) => file.slice(offset, offset + chunkBytes).arrayBuffer();
  const hash = sha256.create();
  let pending = file.size > 0 ? read(0) : null;
  for (let offset = 0; pending; offset += chunkBytes) {
    const chunk = new Uint8Array(await pending);
    if (cancelled()) {
      const error = new Error("cancelled");
      error.name = "CancelledError";
      throw error;
    }
    pending = offset + chunkBytes < file.size ? read(offset + chunkBytes) : null;
    hash.update(chunk);
    onProgress((offset + chunk.length) / file.size);
  }
  onProgress(1);
  return bytesToHex(hash.digest());
}
