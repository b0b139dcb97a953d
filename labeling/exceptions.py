"""Domain exceptions raised by services and access helpers; the API maps each to HTTP once (labeling.api)."""


class DomainError(Exception):
    """Base of every error a user can cause. `message` is safe to show; it never echoes secrets."""

    status_code = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The object does not exist, or the user may not see it (a private dataset answers like a missing one)."""

    status_code = 404

    def __init__(self, message: str = "Not found."):
        super().__init__(message)


class PermissionDenied(DomainError):
    """The user can see the object but their role does not allow the action."""

    status_code = 403

    def __init__(self, message: str = "You do not have permission to perform this action."):
        super().__init__(message)


class AlreadyExists(DomainError):
    status_code = 400


class TooLarge(DomainError):
    """A body or file over a configured limit, or an upload past the user's storage quota."""

    status_code = 413


class InvalidInput(DomainError):
    """Bad input: `errors` lists {"path", "rule", "message"} for each broken rule."""

    status_code = 400

    def __init__(self, message: str, errors: list[dict] | None = None):
        super().__init__(message)
        self.errors = errors or []


class VersionConflict(DomainError):
    """A write started from an older version of the label than the stored one."""

    status_code = 409

    def __init__(self, current_version: int):
        super().__init__(f"The label was saved by someone else meanwhile (current version {current_version}).")
        self.current_version = current_version
