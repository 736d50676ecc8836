import type { ChildProcess } from 'node:child_process';

/** True while a process (or process group, for a negative pid) still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // The child was spawned detached, so it leads its own process group: -pid reaches its
    // grandchildren too (npx → node, uvx → python), which a plain kill would orphan.
    process.kill(process.platform === 'win32' ? child.pid : -child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Ends a child's whole process group: SIGTERM, then SIGKILL after `graceMs` if anything in the group
 * is still alive. Resolves once the child has exited and the group is gone (or after the kill).
 */
export async function terminateProcessGroup(child: ChildProcess, graceMs = 2000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  const groupGone = async () => {
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline) {
      if (!isAlive(-pid)) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return !isAlive(-pid);
  };
  const timedOut = await Promise.race([
    exited.then(groupGone).then((gone) => !gone),
    new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
  ]);
  if (timedOut || isAlive(-pid)) {
    signalGroup(child, 'SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 1000).unref())]);
  }
}
