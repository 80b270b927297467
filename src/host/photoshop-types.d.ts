/**
 * Typed additions to @types/photoshop 25.0.4 for documented APIs that it lacks.
 * Module augmentation only: it declares nothing that Adobe does not document.
 */
export {};

declare module 'photoshop/dom/CoreModules' {
  /**
   * First argument of `action.recordAction` (Photoshop 25.0+, "Action Recording"
   * in the Photoshop UXP reference): `name` is shown in the Actions panel;
   * `methodName` names a *global* function that playback calls as
   * `(executionContext, info)`.
   */
  interface RecordActionOptions {
    name: string;
    methodName: string;
  }

  namespace photoshopAction {
    /**
     * Adds a step to the Action being recorded (Photoshop 25.0+). `info` is a plain
     * object stored with the step and passed back to the handler on playback; it is
     * required (pass `{}` when empty). On "Record Again" the handler's return value,
     * unless `undefined`, replaces the stored `info`.
     */
    function recordAction(options: RecordActionOptions, info: object): Promise<void>;
  }

  interface ExecuteAsModalOptions {
    /**
     * Photoshop 25.10+: seconds to keep retrying while another modal state blocks
     * the call (default 1 s); afterwards it rejects with error number 9.
     */
    timeOut?: number;
  }

  interface DisplayConfiguration {
    /** Photoshop 26.5+: the largest colour component the display shows; above 1 on an HDR display (its headroom). */
    maximumExtendedDynamicRangeColorComponent?: number;
  }
}
