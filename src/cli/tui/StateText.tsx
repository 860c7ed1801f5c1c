/**
 * A lifecycle state as the headers show it: the top-level state in words and colour (`online`, `running`,
 * `failed`), the machine's nested detail dimmed after it, and the reason when it failed.
 * @module
 */
import { Text } from 'ink';
import type { LifecycleState } from '../../engine/types.js';
import { topState } from '../engine-api.js';
import { paint, stateColour } from './theme.js';

/** `state: online (presence.live+heartbeat.beating)`, the first word coloured. */
export const StateText = ({ state }: { readonly state: LifecycleState }) => {
  const top = topState(state.value);
  const detail = state.value.slice(top.length).replace(/^[.+]/, '');
  return (
    <Text>
      state:{' '}
      <Text color={paint(stateColour(state.value))} bold>
        {top}
      </Text>
      {detail !== '' && <Text dimColor> ({detail})</Text>}
      {state.reason !== undefined && <Text color={paint('red')}> — {state.reason}</Text>}
    </Text>
  );
};
