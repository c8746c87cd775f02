//! The clocks: the turn's and the step's, paused or resumed, a minute more or
//! less.

use crate::meeting::{Command, TimerName};
use crate::tui::app::{App, Effect};
use crate::tui::keys::Action;

pub(super) fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    let submit = |c: Command| vec![Effect::Submit(c)];
    let s = &app.state;
    match action {
        Action::ToggleTurnTimer => match &s.floor {
            Some(f) if f.timer.running => submit(Command::PauseTimer {
                timer: TimerName::Floor,
            }),
            _ => submit(Command::ResumeTimer {
                timer: TimerName::Floor,
            }),
        },
        Action::ToggleStepTimer => match &s.step_timer {
            Some(t) if t.running => submit(Command::PauseTimer {
                timer: TimerName::Step,
            }),
            _ => submit(Command::ResumeTimer {
                timer: TimerName::Step,
            }),
        },
        Action::TurnPlus => submit(Command::ExtendTimer {
            timer: TimerName::Floor,
            seconds: 60,
        }),
        Action::TurnMinus => submit(Command::ExtendTimer {
            timer: TimerName::Floor,
            seconds: -60,
        }),
        Action::StepPlus => submit(Command::ExtendTimer {
            timer: TimerName::Step,
            seconds: 60,
        }),
        Action::StepMinus => submit(Command::ExtendTimer {
            timer: TimerName::Step,
            seconds: -60,
        }),
        _ => Vec::new(),
    }
}
