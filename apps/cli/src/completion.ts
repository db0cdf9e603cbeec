import type { Command } from 'commander';

/** Completion scripts generated from the command tree itself, so they never drift from the real commands. */
export function completionScript(program: Command, shell: 'bash' | 'zsh'): string {
  const lines: string[] = [];
  const walk = (cmd: Command, path: string[]) => {
    const subs = cmd.commands.map((c) => c.name());
    const opts = cmd.options.flatMap((o) => [o.short, o.long].filter((x): x is string => !!x));
    lines.push(`    "${path.join(' ')}") words="${[...subs, ...opts, '--help'].join(' ')}" ;;`);
    for (const c of cmd.commands) walk(c, [...path, c.name()]);
  };
  walk(program, []);
  const body = `_loglens_words() {
  local path="$1" words=""
  case "$path" in
${lines.join('\n')}
  esac
  echo "$words"
}
`;
  if (shell === 'bash') {
    return `# bash completion for loglens: source <(loglens completion bash)
${body}_loglens() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" w
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$w" in -*) ;; *) if [ -n "$(_loglens_words "\${path:+$path }$w" 2>/dev/null)" ]; then path="\${path:+$path }$w"; fi ;; esac
  done
  COMPREPLY=( $(compgen -W "$(_loglens_words "$path")" -- "$cur") )
}
complete -F _loglens loglens
`;
  }
  return `#compdef loglens
# zsh completion for loglens: source <(loglens completion zsh)
${body}_loglens() {
  local path="" w
  for w in \${words[2,CURRENT-1]}; do
    case "$w" in -*) ;; *) if [ -n "$(_loglens_words "\${path:+$path }$w")" ]; then path="\${path:+$path }$w"; fi ;; esac
  done
  compadd -- \${=$(_loglens_words "$path")}
}
compdef _loglens loglens
`;
}
