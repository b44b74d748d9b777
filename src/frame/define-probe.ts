import { CitaFrameProbe } from '../components/frame-probe/frame-probe.js';
import { defineOnce } from '../core/define.js';

defineOnce('cita-frame-probe', CitaFrameProbe);
