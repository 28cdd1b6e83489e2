/** The Bus contract on the in-process bus. */
import { createMemoryBus } from '../src/bus/memory-bus.js';
import { runBusSuite } from './bus-contract.js';

runBusSuite({ name: 'in-process bus', createBus: createMemoryBus });
