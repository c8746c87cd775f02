#!/bin/bash
# The secretariat's desk on a large register, in tmux at 80×24: the time from
# launch to its first screen drawn, and its resident memory (VmHWM, VmRSS from
# /proc) after it, after End, and after five PgUp, a department and overdue only.
#
#   REGISTER_DB=/tmp/big-register.db cargo bench --bench register   # the register
#   benches/desk.sh target/release/xieshang /tmp/big-register.db
set -eu
BIN=$1
DB=${2:-/tmp/big-register.db}
S=deskbench$$
memory() { grep -E 'VmHWM|VmRSS' "/proc/$pid/status" | tr -s ' \t\n' ' '; }
t0=$(date +%s%N)
tmux -L "$S" new-session -d -x 80 -y 24 -s desk \
    "exec $BIN followups --register $DB --today 2027-06-01"
until tmux -L "$S" capture-pane -p -t desk 2>/dev/null | grep -q "帮助"; do sleep 0.005; done
t1=$(date +%s%N)
pid=$(tmux -L "$S" list-panes -t desk -F '#{pane_pid}')
echo "first screen: $(((t1 - t0) / 1000000)) ms; $(memory)"
tmux -L "$S" send-keys -t desk End
sleep 1.5
echo "after End: $(memory)"
for _ in 1 2 3 4 5; do tmux -L "$S" send-keys -t desk PageUp; done
tmux -L "$S" send-keys -t desk d
sleep 0.3
tmux -L "$S" send-keys -t desk o
sleep 1.5
echo "after PgUp ×5, a department, overdue only: $(memory)"
tmux -L "$S" capture-pane -p -t desk | head -2
tmux -L "$S" send-keys -t desk q
sleep 0.5
tmux -L "$S" kill-server 2>/dev/null || true
