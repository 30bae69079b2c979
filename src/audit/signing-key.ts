/**
 * The Ed25519 key that signs audit checkpoints. It lives in a file outside the database (0600, by
 * default in the data folder, or wherever SETTLE_AUDIT_KEY_FILE points — ideally a place the
 * database owner cannot read), so whoever can rewrite the audit table still cannot sign a head.
 * Its public half sits next to it as `<key>.pub` for verifiers.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** First 16 hex digits of SHA-256 over the public key (SPKI DER): names the key in a checkpoint. */
  keyId: string;
}

/** The id a checkpoint names its key by. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** Where the public half of `keyFile` is written. */
export function publicKeyFileOf(keyFile: string): string {
  return `${keyFile}.pub`;
}

/** Load the signing key, or create it (0600) with its public half when the file does not exist. */
export function loadOrCreateSigningKey(keyFile: string): SigningKey {
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    // 'wx': never overwrite a key another process created a moment ago.
    try {
      writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      writeFileSync(publicKeyFileOf(keyFile), publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if (process.platform !== 'win32' && (statSync(keyFile).mode & 0o077) !== 0) {
    // Readable by others: anyone who can read it can forge checkpoints. Tighten rather than refuse.
    chmodSync(keyFile, 0o600);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(keyFile));
  } catch (error) {
    throw new Error(`audit signing key ${keyFile} is not a private key: ${(error as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`audit signing key ${keyFile} is ${privateKey.asymmetricKeyType}, not ed25519`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** Read a verifier's public key (PEM, SPKI or the private key itself). */
export function readPublicKey(file: string): KeyObject {
  const text = readFileSync(file);
  try {
    return createPublicKey(text);
  } catch (error) {
    throw new Error(`${file} is not a public key: ${(error as Error).message}`);
  }
}
