/** The version of this copy of Cita; compared by `defineOnce` when two copies meet on one page. */
export const VERSION = '0.1.0';
