/**
 * Jest setup (setupFilesAfterEnv): `photoshop` and `uxp` exist only as types, so every
 * test file gets them as virtual modules backed by the file's simulator, before any of
 * its imports run. Test files may then import src/ in any order. The simulator is
 * created on first use; installSimulator() in the file adds the UXP globals and resets.
 */
import { photoshopModule, uxpModule } from '../simulator/install';

jest.doMock('photoshop', photoshopModule, { virtual: true });
jest.doMock('uxp', uxpModule, { virtual: true });
