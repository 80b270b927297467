/**
 * Reads the official HDRCNN weights file (`hdrcnn_params.npz`): a zip whose member
 * `params.npy` is a 1-D object array of float32 arrays, pickled. Checks only that
 * it is a list of float32 arrays; the HDRCNN structure is checked by the graph builder.
 */
import { WeightsFormatError } from './errors';
import type { ParamArray } from './param-array';
import { readNpyHeader } from './npy';
import { readNpz } from './npz';
import { unpickle } from './unpickle';

/** The unpickled array; running out of memory anyway (a RangeError) is the file's fault, said as such. */
function decode(pickle: Uint8Array) {
  try {
    return unpickle(pickle);
  } catch (e) {
    if (e instanceof RangeError) throw new WeightsFormatError(`params.npy is too large to decode here (${e.message})`);
    throw e;
  }
}

export function readParamsFile(bytes: Uint8Array): ParamArray[] {
  if (String.fromCharCode(...bytes.subarray(0, 6)) === '\x93NUMPY') {
    throw new WeightsFormatError('this is a bare .npy file; expected the .npz weights file (hdrcnn_params.npz)');
  }
  const members = readNpz(bytes);
  const npy = members.get('params');
  if (!npy) {
    const names = [...members.keys()].map((name) => name.slice(0, 80)).join(', ');
    throw new WeightsFormatError(`the .npz has no 'params' member (has: ${names || 'none'})`);
  }
  const header = readNpyHeader(npy);
  if (header.descr !== '|O' || header.fortranOrder || header.shape.length !== 1) {
    throw new WeightsFormatError(
      `params.npy holds a '${header.descr}' array of shape (${header.shape}); expected a 1-D object array ('|O') of arrays`,
    );
  }
  const array = decode(header.body);
  if (array.data instanceof Float32Array || array.shape.length !== 1 || array.shape[0] !== header.shape[0]) {
    throw new WeightsFormatError(
      `params.npy pickle holds a ${array.data instanceof Float32Array ? 'float32' : 'object'} array of shape ` +
        `(${array.shape}), the header declares an object array of shape (${header.shape})`,
    );
  }
  return array.data;
}
