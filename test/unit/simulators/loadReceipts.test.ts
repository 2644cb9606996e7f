// The load generator reads the hub's "accepted" receipts without parsing JSON, as the ceiling's
// subscriber reads its messages; anything else goes through JSON.parse.
import { describe, expect, it } from 'vitest';
import { acceptedMessageId } from '../../../simulators/load/publisher.js';

const receipt = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('the load generator reading a receipt', () => {
  it('takes the messageId of an accepted receipt as the hub serialises it', () => {
    expect(acceptedMessageId(receipt({ messageId: 'k3x9-12-4567', status: 'accepted' }))).toBe(
      'k3x9-12-4567',
    );
  });

  it('leaves every other receipt and notice to the JSON parser', () => {
    for (const other of [
      { messageId: 'a-1', status: 'duplicate' },
      { messageId: 'a-1', status: 'rejected', reason: 'unknown_type', errors: [] },
      { status: 'accepted', messageId: 'a-1' },
      { notice: 'remeasure', rule: 'spo2_low' },
    ]) {
      expect(acceptedMessageId(receipt(other))).toBeNull();
    }
  });

  it('leaves ids with escapes, quotes or non-ASCII characters to the JSON parser', () => {
    for (const id of ['a"b', 'a\\b', 'mätning-1', 'tab\there', '']) {
      expect(acceptedMessageId(receipt({ messageId: id, status: 'accepted' }))).toBeNull();
    }
  });
});
