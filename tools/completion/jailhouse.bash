# SPDX-License-Identifier: GPL-2.0-only
# bash completion for the jailhouse command

_jailhouse_cells()
{
	local dir=/sys/devices/jailhouse/cells
	[ -d $dir ] && cat $dir/*/name 2>/dev/null
}

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
		console) COMPREPLY=($(compgen -W "-f --follow --help" -- "$cur")) ;;
		cell) COMPREPLY=($(compgen -W "create list load start shutdown destroy linux stats --help" -- "$cur")) ;;
		config) COMPREPLY=($(compgen -W "create check show collect --help" -- "$cur")) ;;
		hardware) COMPREPLY=($(compgen -W "check --help" -- "$cur")) ;;
		disable) COMPREPLY=($(compgen -W "--help" -- "$cur")) ;;
		esac
		return ;;
	esac

	case ${words[1]} in
	cell)
		case ${words[2]} in
		create)
			[ "$cword" -eq 3 ] && _filedir cell ;;
		linux)
			case $prev in
			-i|--initrd|-d|--dtb|-w|--write-params) _filedir ;;
			-c|--cmdline|-k|--kernel-decomp-factor) ;;
			-a|--arch) COMPREPLY=($(compgen -W "x86 arm arm64" -- "$cur")) ;;
			*)
				if [ "$cword" -eq 3 ]; then
					_filedir cell
				elif [[ $cur == -* ]]; then
					COMPREPLY=($(compgen -W "-d --dtb -i --initrd -c --cmdline -w --write-params -a --arch -k --kernel-decomp-factor -h --help" -- "$cur"))
				else
					_filedir
				fi ;;
			esac ;;
		load|start|shutdown|destroy|stats)
			if [ "$cword" -eq 3 ]; then
				COMPREPLY=($(compgen -W "$(_jailhouse_cells) --name" -- "$cur"))
				return
			fi
			if [ "$prev" = "--name" ]; then
				COMPREPLY=($(compgen -W "$(_jailhouse_cells)" -- "$cur"))
				return
			fi
			case ${words[2]} in
			load)
				case $prev in
				-a|--address|-s|--string) ;;
				*)
					if [[ $cur == -* ]]; then
						COMPREPLY=($(compgen -W "-s --string -a --address" -- "$cur"))
					else
						_filedir
					fi ;;
				esac ;;
			stats)
				case $prev in
				--cpu|--interval|--count) ;;
				*) COMPREPLY=($(compgen -W "--once --cpu --interval --count" -- "$cur")) ;;
				esac ;;
			esac ;;
		esac ;;
	config)
		_filedir ;;
	esac
}
complete -F _jailhouse jailhouse
