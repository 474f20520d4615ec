// npm run --silent ci:backup-stacks — the stacks whose configuration declares the backup
// workflow's role (backups.ciWriter), as a JSON list: .github/workflows/backup.yml runs
// for these alone, so a stack without the role (staging today) is not backed up by a job
// that would fail every night. Read by the engine's rules (readStackConfig), like the render.
import { listStacks, readStackConfig } from "../components/config/stackFile";
import { decode } from "../components/config/parse";

export function backupStacks(root?: string): string[] {
  return listStacks(root).filter((stack) => {
    const entry = readStackConfig(stack, root)["agent-platform:backups"];
    const backups = entry && !entry.secret ? (decode(entry.value) as { ciWriter?: unknown } | undefined) : undefined;
    return typeof backups === "object" && backups !== null && backups.ciWriter !== undefined;
  });
}

if (require.main === module) process.stdout.write(`${JSON.stringify(backupStacks())}\n`);
