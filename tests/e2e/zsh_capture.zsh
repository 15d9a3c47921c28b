# Completes a command line in an interactive zsh and prints what the
# completion offers, one "MATCH:word" line each (and "DESC:" lines for the
# descriptions listed), as a user pressing TAB would get it:
#
#   zsh -f zsh_capture.zsh FPATH_DIR 'bindep-sbom --format '
#
# The interactive zsh runs on a pseudo-terminal (zsh/zpty), with compinit
# loading the completion functions of FPATH_DIR; compadd is wrapped to print
# the matches it is given; the completion ends the shell (comppostfuncs).
# A spec _arguments cannot read makes it print an error, not a match.
zmodload zsh/zpty || exit 1
zpty z zsh -f -i
local line
zpty -w z "PROMPT= ; fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z 'bindkey "^I" complete-word; zstyle ":completion:*" list-grouped false'
zpty -w z 'null-line() { echo -E - $'"'"'\0'"'"' }; compprefuncs=(null-line); comppostfuncs=(null-line exit)'
zpty -w z 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  local -a __hits; builtin compadd -A __hits "$@"; local r=$?
  local -A apre hpre; zparseopts -E P:=apre p:=hpre
  local h; for h in $__hits; do echo -E - "MATCH:$IPREFIX${apre[-P]}${hpre[-p]}$h"; done
  if (( $@[(I)-d] )); then local dn=${@[$[${@[(i)-d]}+1]]}; print -rl -- "DESC:${(@P)^dn}"; fi
  builtin compadd "$@"; return r }'
zpty -w z 'echo READY'
while zpty -r z line; do [[ $line == READY* ]] && break; done
zpty -w z "$2"$'\t'
integer tog=0
while zpty -r z line; do
  if [[ $line == *$'\0'* ]]; then (( tog++ )) && break || continue; fi
  line=${line%$'\r'}; line=${line%$'\n'}; line=${line%$'\r'}
  (( tog )) && [[ -n $line ]] && print -r -- $line
done
