/**
 * The documents suppliers mail in, kept by content hash per invoice. The reply intake saves the
 * bytes here; the guarded `attach_supplier_document` tool reads them back by hash, so what the
 * audit log and a proposal hold is the hash and the file name, never the file.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/connection.js';

export interface SupplierDocument {
  sha256: string;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export interface DocumentStore {
  /** Keep a document received for an invoice (a second copy of the same bytes is the same row). */
  put(tenant: string, invoiceId: number, doc: Omit<SupplierDocument, 'sha256'>): Promise<string>;
  get(tenant: string, invoiceId: number, sha256: string): Promise<SupplierDocument | null>;
}

export function createDocumentStore(db: Db): DocumentStore {
  return {
    async put(tenant, invoiceId, doc) {
      const sha256 = sha256Of(doc.bytes);
      await db.query(
        `insert into supplier_documents (tenant, invoice_id, sha256, filename, content_type, size, content) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (tenant, invoice_id, sha256) do nothing`,
        [tenant, invoiceId, sha256, doc.filename.slice(0, 200), doc.contentType, doc.bytes.byteLength, doc.bytes],
      );
      return sha256;
    },
    async get(tenant, invoiceId, sha256) {
      const { rows } = await db.query<{ filename: string; content_type: string; content: Uint8Array }>(
        'select filename, content_type, content from supplier_documents where tenant = $1 and invoice_id = $2 and sha256 = $3',
        [tenant, invoiceId, sha256],
      );
      const r = rows[0];
      return r ? { sha256, filename: r.filename, contentType: r.content_type, bytes: new Uint8Array(r.content) } : null;
    },
  };
}
