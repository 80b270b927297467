/**
 * The port against the golden fixture: an independent NumPy implementation of
 * HDRCNN (float64) on the fixture's weights, for both pickle protocols and both gammas.
 */
import { readFileSync } from 'node:fs';
import { reconstruct } from '../../src/core/reconstruct';
import { wholeImageSettings } from '../../src/core/tile-plan';
import { createOrtNodeBackend } from '../../src/runtime/ort-node';
import { convertWeights } from '../../src/weights/load-model';
import { fixtureInput, fixturePath, maxRelativeError, readNpyFloat32 } from '../helpers/fixture';

describe.each(['params.npz', 'params_protocol2.npz'])('golden fixture with %s', (weights) => {
  it.each([
    [1.0, 'expected_gamma_1_0.npy'],
    [1.2, 'expected_gamma_1_2.npy'],
  ])('gamma %p matches %s within 1e-3 relative error', async (gamma, expectedFile) => {
    const model = convertWeights(new Uint8Array(readFileSync(fixturePath(weights))));
    const backend = await createOrtNodeBackend(model);
    const input = await fixtureInput();
    const expected = readNpyFloat32(fixturePath(expectedFile));
    expect(expected.shape).toEqual([input.height, input.width, 3]);
    const { image } = await reconstruct(input, backend, {
      settings: { gamma },
      tiles: wholeImageSettings(input.width, input.height),
    });
    await backend.dispose();
    const error = maxRelativeError(image.data, expected.data);
    expect(error).toBeLessThan(1e-3);
  });
});
