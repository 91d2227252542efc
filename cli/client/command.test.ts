import { CommanderError } from 'commander';
import { commanderExitCode, parseDuration } from './command';
import { parseChanges } from './labels';
import { parseFor } from './wait';

describe('flag parsing', () => {
  it('reads Go durations; a bare number is seconds', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('5')).toBe(5000);
    for (const bad of ['', 'soon', '5x', '1m bogus']) expect(() => parseDuration(bad)).toThrow(/duration/);
  });

  it('maps commander\'s exits: help and version 0, usage errors 2', () => {
    expect(commanderExitCode(new CommanderError(0, 'commander.helpDisplayed', ''))).toBe(0);
    expect(commanderExitCode(new CommanderError(0, 'commander.version', ''))).toBe(0);
    expect(commanderExitCode(new CommanderError(1, 'commander.unknownOption', ''))).toBe(2);
    expect(commanderExitCode(new CommanderError(1, 'commander.unknownCommand', ''))).toBe(2);
    expect(commanderExitCode(new CommanderError(1, 'commander.help', ''))).toBe(2); // a group without its subcommand
  });

  it('splits label/annotate arguments into resources and changes', () => {
    expect(parseChanges(['pods', 'web', 'a=1', 'b=', 'c-'])).toEqual({ resources: ['pods', 'web'], set: { a: '1', b: '' }, remove: ['c'] });
    expect(parseChanges(['deploy/web', 'note=x=y'])).toEqual({ resources: ['deploy/web'], set: { note: 'x=y' }, remove: [] });
    expect(() => parseChanges(['a=1', 'pods'])).toThrow(/before the changes/);
  });

  it('reads wait --for: conditions, jsonpath values and deletion', () => {
    const ready = { status: { conditions: [{ type: 'Available', status: 'True' }], phase: 'Running' } };
    expect(parseFor('condition=Available').check(ready).done).toBe(true);
    expect(parseFor('condition=available=false').check(ready).done).toBe(false);
    expect(parseFor('jsonpath={.status.phase}=Running').check(ready).done).toBe(true);
    expect(parseFor('jsonpath=.status.phase=Pending').check(ready).done).toBe(false);
    expect(parseFor('jsonpath={.status.phase}').check(ready).done).toBe(true);
    expect(parseFor('delete').check(undefined).done).toBe(true);
    expect(() => parseFor('condition=')).toThrow(expect.objectContaining({ exitCode: 2 }));
    expect(() => parseFor('ready')).toThrow(/unrecognized condition/);
  });
});
