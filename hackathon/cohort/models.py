"""The cohort record's own tables: what the events do not already hold about a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.events.models import Program
from hackathon.extensions import Model

# Portfolios ----------------------------------------------------------------------------


class Portfolio(Model):
    """A trainee's portfolio for one program: private until the trainee makes it public.
    What it shows is the trainee's choice (docs/cohort.md, "Portfolio")."""

    __tablename__ = "portfolios"
    __table_args__ = (UniqueConstraint("program_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    public: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None]
    headline: Mapped[str] = mapped_column(String(200), default="")
    about: Mapped[str] = mapped_column(Text, default="")  # Markdown, rendered and sanitised
    # `;`-separated skill tags; empty means the skills of the person's profile.
    skills: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    program: Mapped[Program] = relationship()
    user: Mapped[User] = relationship()
    projects: Mapped[list[PortfolioProject]] = relationship(
        back_populates="portfolio",
        cascade="all, delete-orphan",
        order_by=lambda: [PortfolioProject.position, PortfolioProject.id],
    )


class PortfolioProject(Model):
    """One event's project on a portfolio, with the files and the judges' feedback the
    trainee chose to show (ids of the submission's files; feedback texts as written)."""

    __tablename__ = "portfolio_projects"
    __table_args__ = (UniqueConstraint("portfolio_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    portfolio_id: Mapped[int] = mapped_column(
        ForeignKey("portfolios.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    file_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    feedback: Mapped[list[str]] = mapped_column(JSON, default=list)

    portfolio: Mapped[Portfolio] = relationship(back_populates="projects")


# End of portfolios ---------------------------------------------------------------------
