/**
 * The diagrams in visualizations/ are generated, never drawn: this regenerates them in memory and fails when a
 * committed file differs (run `npm run visualize` after changing a machine).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { eventLabel, generateVisualizations, mermaidOf, transitionTable } from '../../visualizations/generate.js';
import { definedTransitions } from './support/coverage.js';

const root = new URL('../../', import.meta.url);
// The SVGs are laid out by ELK: a few seconds for all four machines on a loaded machine.
const generated = await generateVisualizations();

describe('visualizations', () => {
  for (const [path, text] of generated) {
    it(`${path} is up to date (npm run visualize)`, () => {
      expect(readFileSync(new URL(path, root), 'utf8')).toBe(text);
    });
  }

  it('draws every state and names delays, invokes, guards and actions', () => {
    const machine = createMachine({
      id: 'demo',
      initial: 'a',
      states: {
        a: { invoke: { id: 'load', src: 'loader', onDone: 'b', onError: { target: 'c', guard: 'retryable' } }, on: { GO: { target: 'b', actions: 'note' } } },
        b: { initial: 'x', states: { x: { after: { pause: 'y' } }, y: { always: '#demo.c' } } },
        c: { type: 'final' },
      },
    });
    const diagram = mermaidOf(machine);
    expect(diagram.split('\n')).toEqual([
      'stateDiagram-v2',
      '  [*] --> a',
      '  a : invoke loader as load',
      '  state b {',
      '    [*] --> x',
      '    x --> y : after pause',
      '  }',
      '  a --> b : GO / note',
      '  a --> b : done load',
      '  a --> c : error load [retryable]',
      '  b --> c : (from y) always',
      '  c --> [*]',
    ]);
    const rows = transitionTable(machine).split('\n');
    expect(rows).toHaveLength(2 + definedTransitions(machine).length);
    expect(definedTransitions(machine).map(eventLabel)).toEqual(['GO', 'done load', 'error load', 'after pause', 'always']);
  });
});
