import { describe, expect, it } from '@jest/globals';
import { MigrationErrorCodes, planMigrations } from './migrator.js';
import { migrationChecksum, scriptMatchesChecksum, type MigrationScript } from './migrations-directory.js';

function migration(name: string, script = `-- ${name}\nSELECT 1;\n`): MigrationScript {
  return { name, script, checksum: migrationChecksum(script) };
}

function row(of: MigrationScript, state: { finished?: boolean; rolledBack?: boolean; checksum?: string } = {}) {
  return {
    id: `id-${of.name}`,
    checksum: state.checksum ?? of.checksum,
    migration_name: of.name,
    finished_at: state.finished === false ? null : new Date(0),
    rolled_back_at: state.rolledBack ? new Date(0) : null,
  };
}

describe('migrationChecksum', () => {
  it('is the lowercase sha256 hex Prisma stores', () => {
    // Expected value from Prisma's own checksum test (schema-connector/src/checksum.rs).
    expect(migrationChecksum('hello')).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  });

  it('matches across LF and CRLF line endings but not across content changes', () => {
    expect(scriptMatchesChecksum('a\r\nb\r\n', migrationChecksum('a\nb\n'))).toBe(true);
    expect(scriptMatchesChecksum('a\nb\n', migrationChecksum('a\r\nb\r\n'))).toBe(true);
    expect(scriptMatchesChecksum('a\nb\n', migrationChecksum('a\nb'))).toBe(false);
  });
});

describe('planMigrations', () => {
  const [one, two, three] = [migration('20250101000000_one'), migration('20250102000000_two'), migration('20250103000000_three')];

  it('runs every migration on an empty history, in folder order', () => {
    expect(planMigrations([one, two, three], []).pending.map((m) => m.name)).toEqual([one.name, two.name, three.name]);
  });

  it('runs only the ones not yet applied, including one that sorts before the newest applied', () => {
    const plan = planMigrations([one, two, three], [row(one), row(three)]);
    expect(plan.pending.map((m) => m.name)).toEqual([two.name]);
    expect(plan.alreadyApplied).toEqual([one.name, three.name]);
  });

  it('reruns a migration whose only record is rolled back', () => {
    expect(planMigrations([one], [row(one, { finished: false, rolledBack: true })]).pending.map((m) => m.name)).toEqual([one.name]);
  });

  it('reports applied migrations missing from the folder without refusing', () => {
    expect(planMigrations([one], [row(one), row(two)]).unknownInDatabase).toEqual([two.name]);
  });

  it('refuses when an applied migration changed, naming it', () => {
    expect(() => planMigrations([one, two], [row(one), row(two, { checksum: migrationChecksum('other') })]))
      .toThrow(expect.objectContaining({ code: MigrationErrorCodes.CHECKSUM_MISMATCH, migrations: [two.name] }));
  });

  it('refuses while a migration is unfinished and not rolled back', () => {
    expect(() => planMigrations([one, two], [row(one, { finished: false })]))
      .toThrow(expect.objectContaining({ code: MigrationErrorCodes.FAILED_MIGRATION, migrations: [one.name] }));
  });
});
