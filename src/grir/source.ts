/** Which tenant a stored GR/IR book belongs to: the Coupa base URL, or the embedded sample company. */
export const SAMPLE_GRIR_SOURCE = 'embedded:sample-company-7';

export function grirSourceOf(config: { coupa?: { baseUrl: string } | undefined }): string {
  return config.coupa?.baseUrl ?? SAMPLE_GRIR_SOURCE;
}
