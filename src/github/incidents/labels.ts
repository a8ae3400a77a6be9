// The labels of an incident issue: people's labels stay; the ones aftershock manages follow the record.

/** People's labels stay; the ones aftershock manages (severity, resolved) follow the record. */
export function mergeLabels(
  current: readonly string[],
  wanted: readonly string[],
  resolvedLabel: string,
): string[] {
  const kept = current.filter((l) => !l.startsWith("severity:") && l !== resolvedLabel);
  return [...new Set([...kept, ...wanted])];
}

export function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export function labelNames(labels: ReadonlyArray<string | { name?: string }>): string[] {
  return labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter((l) => l !== "");
}
