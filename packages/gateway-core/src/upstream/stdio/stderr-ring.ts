/**
 * Keeps the last `maxBytes` of a process's stderr (for crash messages) and hands complete lines
 * to a logger at a bounded rate, so a server flooding stderr costs bounded memory and log volume.
 */
export class StderrRing {
  private chunks: string[] = [];
  private size = 0;
  private partial = '';
  private windowStart = 0;
  private linesInWindow = 0;
  private suppressed = 0;

  /**
   * @param maxBytes bytes of tail kept
   * @param onLine logger for complete lines (at most `linesPerSecond` per second; the rest counted)
   * @param linesPerSecond log rate bound
   */
  constructor(
    private readonly maxBytes: number,
    private readonly onLine?: (line: string) => void,
    private readonly linesPerSecond = 50,
  ) {}

  /** Adds a chunk of stderr output. */
  push(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    while (this.size > this.maxBytes && this.chunks.length > 1)
      this.size -= (this.chunks.shift() as string).length;
    if (this.size > this.maxBytes) {
      const only = this.chunks[0] as string;
      this.chunks[0] = only.slice(only.length - this.maxBytes);
      this.size = this.maxBytes;
    }
    if (this.onLine === undefined) return;
    const lines = (this.partial + text).split('\n');
    this.partial = (lines.pop() ?? '').slice(-4096);
    for (const line of lines) this.emit(line);
  }

  /** The retained tail, or its last `lines` lines. */
  tail(lines?: number): string {
    const text = this.chunks.join('');
    if (lines === undefined) return text;
    return text.split('\n').filter(Boolean).slice(-lines).join('\n');
  }

  private emit(line: string): void {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      if (this.suppressed > 0) this.onLine?.(`(${this.suppressed} stderr lines suppressed)`);
      this.windowStart = now;
      this.linesInWindow = 0;
      this.suppressed = 0;
    }
    if (this.linesInWindow >= this.linesPerSecond) {
      this.suppressed += 1;
      return;
    }
    this.linesInWindow += 1;
    this.onLine?.(line.length > 4096 ? `${line.slice(0, 4096)}…` : line);
  }
}
