# SPDX-License-Identifier: GPL-2.0-only
# bash completion for the jailhouse command.

_jailhouse()
{
	local cur prev words cword
	_init_completion || return

	case $cword in
	1)
		COMPREPLY=($(compgen -W "enable disable console cell config hardware --help --version" -- "$cur"))
		return ;;
	2)
		case ${words[1]} in
		enable) _filedir cell ;;
		console) COMPREPLY=($(compgen -W "-f --follow" -- "$cur")) ;;
		cell) COMPREPLY=($(compgen -W "create list load start shutdown destroy linux stats" -- "$cur")) ;;
		config) COMPREPLY=($(compgen -W "create check show collect" -- "$cur")) ;;
		hardware) COMPREPLY=($(compgen -W "check" -- "$cur")) ;;
		esac
		return ;;
	esac

	case ${words[1]} in
	cell)
		case ${words[2]} in
		create|linux) _filedir ;;
		load|start|shutdown|destroy|stats)
			local names=""
			[ -d /sys/devices/jailhouse/cells ] &&
				names=$(cat /sys/devices/jailhouse/cells/*/name 2>/dev/null)
			if [ "$cword" -eq 3 ]; then
				COMPREPLY=($(compgen -W "$names --name" -- "$cur"))
			else
				_filedir
			fi ;;
		esac ;;
	config)
		_filedir ;;
	esac
}
complete -F _jailhouse jailhouse
