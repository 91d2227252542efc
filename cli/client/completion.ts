/**
 * `marina completion bash|zsh`: a shell completion script generated from the command tree
 * (verbs, subcommands, each verb's flags), completing resource types from `marina
 * api-resources -o name` and object names from `marina get TYPE -o name` at run time.
 * zsh loads the bash function through bashcompinit. Use: `source <(marina completion bash)`.
 */
import { Command } from 'commander';
import type { Cli } from './command';
import { usageError } from './io';

/** Verbs whose first argument is a resource type and the next ones names. */
const resourceVerbs = ['get', 'describe', 'delete', 'edit', 'label', 'annotate', 'scale', 'wait', 'patch', 'explain'];

function flagsOf(cmd: Command): string {
  return cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f))).join(' ');
}

export function bashScript(program: Command): string {
  const verbs = program.commands;
  const cases = verbs
    .map((v) => {
      const subs = v.commands.map((s) => s.name()).join(' ');
      const subFlags = v.commands.map((s) => `        ${s.name()}) flags="${flagsOf(s)}" ;;`).join('\n');
      return `    ${v.name()})
      flags="${flagsOf(v)}"
      subs="${subs}"
      case "\${COMP_WORDS[2]}" in
${subFlags}
      esac ;;`;
    })
    .join('\n');
  return `# marina completion for bash (and zsh through bashcompinit)
_marina() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" verb="\${COMP_WORDS[1]}" flags="" subs=""
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "${verbs.map((v) => v.name()).join(' ')}" -- "$cur") )
    return
  fi
  case "$verb" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$flags" -- "$cur") )
    return
  fi
  if [[ -n "$subs" && $COMP_CWORD -eq 2 ]]; then
    COMPREPLY=( $(compgen -W "$subs" -- "$cur") )
    return
  fi
  case " ${resourceVerbs.join(' ')} " in
    *" $verb "*)
      if [[ $COMP_CWORD -eq 2 ]]; then
        COMPREPLY=( $(compgen -W "$(marina api-resources -o name 2>/dev/null)" -- "$cur") )
      else
        local names
        names=$(marina get "\${COMP_WORDS[2]}" -o name 2>/dev/null | sed 's|.*/||')
        COMPREPLY=( $(compgen -W "$names" -- "$cur") )
      fi ;;
    " logs "|" exec ")
      COMPREPLY=( $(compgen -W "$(marina get pods -o name 2>/dev/null | sed 's|.*/||')" -- "$cur") ) ;;
  esac
}
complete -o default -F _marina marina
`;
}

export function zshScript(program: Command): string {
  return `#compdef marina
# marina completion for zsh
autoload -U +X bashcompinit && bashcompinit
${bashScript(program)}`;
}

export function completionCommand(cli: Cli): Command {
  const cmd = new Command('completion').description('Print a shell completion script: source <(marina completion bash)').argument('[shell]', 'bash or zsh');
  return cli.verb<Record<string, never>>(cmd, async (ctx) => {
    const shell = ctx.args[0];
    const program = ctx.cmd.parent;
    if (!program) throw usageError('completion needs the marina program');
    if (shell === 'bash') ctx.io.stdout.write(bashScript(program));
    else if (shell === 'zsh') ctx.io.stdout.write(zshScript(program));
    else throw usageError(`unsupported shell type "${shell ?? ''}" (bash or zsh)`);
    return 0;
  });
}
