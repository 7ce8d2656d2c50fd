/**
 * Memory of the Chromium this process launched: every `/usr/lib/chromium/` process below us in the process
 * tree (browser, renderers, GPU, network and storage services), summed from /proc. RSS counts shared pages
 * once per process (what the issue asks for); PSS shares them out, so its sum is the tree's real footprint.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface TreeMemory {
  rssBytes: number;
  pssBytes: number;
  processes: number;
}

interface ProcessInfo {
  pid: number;
  ppid: number;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 4 is the parent pid; the command name (field 2) may hold spaces, so count from its closing ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]) };
  } catch {
    return undefined; // gone meanwhile
  }
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProcess(Number(name));
    if (!info) continue;
    children.set(info.ppid, [...(children.get(info.ppid) ?? []), info.pid]);
  }
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

function kilobytes(text: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return match ? Number(match[1]) * 1024 : 0;
}

/** Sum RSS and PSS over the Chromium processes descended from `root` (this process by default). */
export function chromiumTreeMemory(root = process.pid): TreeMemory {
  let rssBytes = 0;
  let pssBytes = 0;
  let processes = 0;
  for (const pid of descendants(root)) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.startsWith('/usr/lib/chromium/')) continue;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rssBytes += kilobytes(rollup, 'Rss');
      pssBytes += kilobytes(rollup, 'Pss');
      processes++;
    } catch {
      // exited between the listing and the read
    }
  }
  return { rssBytes, pssBytes, processes };
}
