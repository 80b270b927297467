/** One parameter array of the weights file, as the readers return it. */
/** C order. */
export interface ParamArray {
  shape: number[];
  data: Float32Array;
}
