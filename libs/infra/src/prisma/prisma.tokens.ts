/** Nest token of the process's `pg.Pool` (raw SQL, COPY). */
export const PG_POOL = Symbol('PG_POOL');
/** Nest token of the {@link PrismaModuleOptions} the module was created with. */
export const PRISMA_MODULE_OPTIONS = Symbol('PRISMA_MODULE_OPTIONS');

export interface PrismaModuleOptions {
  /** `postgresql://` URL; `?schema=<name>` selects a schema (tests use one per file). */
  readonly url: string;
  /** Overrides the URL's schema. */
  readonly schema?: string;
  /** Pool size (default 10). Postgres connections are the scarce resource: keep it small per process. */
  readonly poolMax?: number;
  /** Shown in `pg_stat_activity.application_name`, e.g. the service name. */
  readonly applicationName?: string;
}
