/** One sentence per way a run can stop. */
import { CancelledError } from '../../src/core/cancellation';
import { CANCELLED_MESSAGE, describeError, describeProblem, UserError } from '../../src/plugin-core/errors';
import { SettingsError } from '../../src/plugin-core/settings';
import { EngineError } from '../../src/protocol/errors';

test.each([
  [new CancelledError(), CANCELLED_MESSAGE],
  [new EngineError('cancelled', 'cancelled'), CANCELLED_MESSAGE],
  [new UserError('Open a document first.'), 'Open a document first.'],
  [new SettingsError('gamma must be…'), 'This Action step cannot be played: gamma must be…. Record it again.'],
  [
    new EngineError('download', 'HTTP 404'),
    'The HDRCNN weights could not be downloaded: HTTP 404. The document is unchanged.',
  ],
  [
    new EngineError('timeout', 'no answer for 120 s'),
    'The engine stopped answering: no answer for 120 s. The document is unchanged.',
  ],
  [
    Object.assign(new Error('Plugin: x is running a modal command'), { number: 9 }),
    "Photoshop is busy with another plugin's command (Plugin: x is running a modal command). Try again when it has finished.",
  ],
  [new Error('boom'), 'Reconstruction failed: boom. The document is unchanged.'],
  ['a string', 'Reconstruction failed: a string. The document is unchanged.'],
])('%p', (error, message) => {
  expect(describeError(error)).toBe(message);
});

test('describeProblem leaves the document out (the model line)', () => {
  expect(describeProblem(new EngineError('model', 'bad npz'))).toBe('The HDRCNN model could not be loaded: bad npz.');
});
