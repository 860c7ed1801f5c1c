import { describe, expect, it } from 'vitest';
import { nameProblem } from '../../src/cli/name-check.js';

describe('nameProblem', () => {
  it('accepts ordinary and CJK names', () => {
    expect(nameProblem('alice')).toBeUndefined();
    expect(nameProblem('剑痴')).toBeUndefined();
  });

  it('says which character the wire cannot carry, and what to do', () => {
    for (const [name, shown] of [
      ['a,b', 'contains a comma'],
      ['a;b', 'contains a semicolon'],
      ['a:b', 'contains a colon'],
    ] as const) {
      const problem = nameProblem(name);
      expect(problem, name).toContain(shown);
      expect(problem, name).toContain('choose another --name');
    }
    expect(nameProblem('')).toContain('empty');
    expect(nameProblem('tab\there')).toBeDefined();
  });
});
