// Output formatting shared by the model: durations as Prometheus and Argo Rollouts read
// them. (Parsing belongs to components/config; the model only formats.)
import type { Quantity } from "../config/units";

/** Formats seconds the way Prometheus and Argo Rollouts read durations ("90s" -> "1m30s"). */
export function formatDuration(totalSeconds: number): string {
  if (totalSeconds === 0) return "0s";
  let rest = Math.round(totalSeconds * 1000);
  const parts: string[] = [];
  const units: Array<[string, number]> = [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
    ["ms", 1],
  ];
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join("");
}

/** Formats a byte count as a whole number of MiB, rounded up (quota arithmetic). */
export function formatMebibytes(bytes: number): string {
  return `${Math.ceil(bytes / 2 ** 20)}Mi`;
}

/** Formats cores as Kubernetes writes them: whole cores, or millicores rounded up. */
export function formatCores(cores: number): string {
  return Number.isInteger(cores) ? String(cores) : `${Math.ceil(cores * 1000)}m`;
}

type Pair = { cpu: Quantity; memory: Quantity };

/** A container's requests and limits as the stack file wrote them. */
export function containerResources(r: { requests: Pair; limits: Pair }) {
  return {
    requests: { cpu: r.requests.cpu.text, memory: r.requests.memory.text },
    limits: { cpu: r.limits.cpu.text, memory: r.limits.memory.text },
  };
}
