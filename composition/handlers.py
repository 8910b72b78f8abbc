"""Every package's event handlers, registered on import: the web app (`composition.app`) and
the `snp` command (`composition.cli`) both import this module, so a change made from the
command line has the same reactions as one made through the API (an SMS queued, the indicators
read model fed, a new GP account linked to their directory entry)."""

import agenda.handlers  # links a new effector account to the directory entry of its e-mail
import agenda.models
import indicators.handlers  # the indicators read model follows regulation and agenda
import notifications.handlers  # the SMS reactions to the agenda's events
import regulation.handlers  # regulation's reactions to the agenda's events
import sas.handlers  # pushes SAS regulators' appointments to the platform

MODULES = (
    agenda.handlers,
    indicators.handlers,
    notifications.handlers,
    regulation.handlers,
    sas.handlers,
)
