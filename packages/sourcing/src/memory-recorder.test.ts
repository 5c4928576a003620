import { recorderContract } from '@eventum/testing';

import { createMemoryRecorders } from './memory-recorder.js';

recorderContract('memory', createMemoryRecorders);
