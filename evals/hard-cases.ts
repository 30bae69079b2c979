export function hardCases(): Array<Record<string, unknown>> {
  return [];
}
