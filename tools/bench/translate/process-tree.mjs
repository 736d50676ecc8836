// Resident memory of a process and all its descendants, from /proc (Linux).
import { readdirSync, readFileSync } from 'node:fs';

function table() {
  const parent = new Map();
  const rss = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      parent.set(Number(entry), Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0));
      rss.set(Number(entry), Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) * 1024);
    } catch {
      // process ended while reading
    }
  }
  return { parent, rss };
}

/** Sum of VmRSS (bytes) of `root` and every descendant. */
export function treeRss(root) {
  const { parent, rss } = table();
  const members = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!members.has(pid) && members.has(ppid)) {
        members.add(pid);
        grew = true;
      }
    }
  }
  let total = 0;
  for (const pid of members) total += rss.get(pid) ?? 0;
  return total;
}

/** Samples treeRss(root) every `everyMs`; stop() returns the peak. */
export function samplePeak(root, everyMs = 100) {
  let peak = treeRss(root);
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRss(root));
  }, everyMs);
  return () => {
    clearInterval(timer);
    return Math.max(peak, treeRss(root));
  };
}
