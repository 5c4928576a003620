import { createInProcessBus } from '@eventum/core';

import { notifyContract } from './testing/notify-contract.js';

notifyContract('in-process', () => Promise.resolve(createInProcessBus()));
