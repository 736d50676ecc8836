import { BridgeError } from '../core/bridge-error.js';

/**
 * Splits a command line into argv the way a POSIX shell would for simple commands: whitespace
 * separates words, single quotes keep everything literal, double quotes keep spaces and allow `\"`,
 * a backslash escapes the next character. No expansion, globbing or pipes: the command is spawned
 * without a shell, so user input cannot inject shell syntax.
 *
 * @throws BridgeError INVALID_SPEC for an empty command or an unclosed quote
 */
export function splitCommandLine(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else current += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && (command[i + 1] === '"' || command[i + 1] === '\\')) current += command[++i];
      else current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < command.length) {
      current += command[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) throw new BridgeError('INVALID_SPEC', `command line has an unclosed ${quote} quote: ${command}`);
  if (inWord) words.push(current);
  if (words.length === 0)
    throw new BridgeError('INVALID_SPEC', 'command line is empty; expected e.g. "npx -y server-x"');
  return words;
}
