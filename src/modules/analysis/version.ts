/** Version of the analysis engine; serialised models and snapshots record it so results can be reproduced. */
export const ENGINE_VERSION = '1.2.0';
