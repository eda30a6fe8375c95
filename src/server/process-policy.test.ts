import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installProcessPolicy } from './process-policy.ts';

function recorder() {
  const lines: { level: string; obj: object; msg: string }[] = [];
  return {
    lines,
    log: {
      error: (obj: object, msg: string) => lines.push({ level: 'error', obj, msg }),
      fatal: (obj: object, msg: string) => lines.push({ level: 'fatal', obj, msg }),
    },
  };
}

describe('process policy for errors nobody caught', () => {
  it('logs an unhandled rejection with its error and keeps the process running', () => {
    const proc = new EventEmitter();
    const r = recorder();
    const exits: number[] = [];
    let shutdowns = 0;
    installProcessPolicy({
      log: r.log,
      proc,
      exit: (c) => exits.push(c),
      shutdown: async () => void shutdowns++,
    });
    proc.emit('unhandledRejection', new Error('database went away'));
    proc.emit('unhandledRejection', 'a string reason');
    expect(exits).toEqual([]);
    expect(shutdowns).toBe(0);
    expect(r.lines.map((l) => l.level)).toEqual(['error', 'error']);
    expect((r.lines[0].obj as { err: Error }).err.message).toBe('database went away');
    expect((r.lines[1].obj as { err: Error; rejections: number }).rejections).toBe(2);
  });

  it('shuts down cleanly once and exits with 1 on an uncaught exception', async () => {
    const proc = new EventEmitter();
    const r = recorder();
    const exits: number[] = [];
    let shutdowns = 0;
    installProcessPolicy({
      log: r.log,
      proc,
      exit: (c) => exits.push(c),
      shutdown: async () => {
        shutdowns++;
        await new Promise((res) => setTimeout(res, 10));
      },
    });
    proc.emit('uncaughtException', new TypeError('x is undefined'), 'uncaughtException');
    proc.emit('uncaughtException', new TypeError('again'), 'uncaughtException');
    expect(exits).toEqual([]); // not before the shutdown finished
    await new Promise((res) => setTimeout(res, 30));
    expect(shutdowns).toBe(1);
    expect(exits).toEqual([1]);
    expect(r.lines.filter((l) => l.level === 'fatal')).toHaveLength(2);
  });

  it('exits after the grace period when the shutdown hangs', async () => {
    const proc = new EventEmitter();
    const exits: number[] = [];
    installProcessPolicy({
      log: recorder().log,
      proc,
      exit: (c) => exits.push(c),
      graceMs: 20,
      shutdown: () => new Promise(() => {}),
    });
    proc.emit('uncaughtException', new Error('stuck'));
    await new Promise((res) => setTimeout(res, 60));
    expect(exits).toEqual([1]);
  });
});
