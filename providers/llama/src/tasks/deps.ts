import type { ProviderContext } from '@taskproc/provider-sdk';
import type { LlamaProviderConfig } from '../config.ts';
import type { Generator } from '../generator.ts';

/** What every task handler needs besides its input and context. */
export interface LlamaDeps {
  generator: Generator;
  config: Pick<LlamaProviderConfig, 'generation'>;
}

/** The part of the SDK's task context the handlers use (narrower, so unit tests can fake it). */
export type TaskContext = Pick<ProviderContext, 'signal' | 'logger' | 'streaming' | 'stream' | 'reportProgress'>;
