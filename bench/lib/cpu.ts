import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user + system) a process has used so far, in ms; 0 once it is gone. */
function cpuMs(pid: number): number {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 a second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** The pids of local processes whose command is one of `names` (mariadbd, redis-server): none where /proc is missing. */
export function localPids(...names: string[]): number[] {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return names.includes(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Who spent the CPU of a workload: each group of processes (the database, the service, Redis) and
 * this benchmark process (load generator or raw client), in ms from start() to the returned stop().
 */
export function meterCpu(groups: Record<string, number[]>): () => Record<string, number> {
  const at = () => Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, pids.reduce((sum, pid) => sum + cpuMs(pid), 0)]));
  const before = at();
  const own = process.cpuUsage();
  return () => {
    const after = at();
    const used = process.cpuUsage(own);
    return { ...Object.fromEntries(Object.keys(groups).map((name) => [name, after[name] - before[name]])), bench: (used.user + used.system) / 1000 };
  };
}
