"""What the `jaxdyn` commands share: the one-line error, exit codes, argument checks."""

EXIT_BAD_INPUT = 2
EXIT_BLOWUP = 3


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit status 2."""


def system_by_name(name: str):
    from . import systems

    try:
        return systems.get(name)
    except ValueError as error:
        message = str(error).removeprefix("systems.get: ")
        raise CommandError(message.replace("systems.names()", "`jaxdyn list systems`")) from None


def check_positive(args, *names) -> None:
    for name in names:
        value = getattr(args, name)
        if value is not None and not value > 0:
            raise CommandError(f"--{name.replace('_', '-')} must be positive, got {value}")
