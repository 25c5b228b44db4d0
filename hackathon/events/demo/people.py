"""Invented Korean names, companies and briefs for the demo cohort."""

from __future__ import annotations

import random

SURNAMES = (
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽"
    "성차주우구민진나지엄채원천방공현함변염여추도석선설마길연위표명기반왕금옥육인맹제모탁국"
)
GIVEN = (
    "민서준하윤도현지우서연예준시우주원하은수아지호유진건우서윤은우채원현우지민태윤"
    "다은승민가은예린동현성민재윤소율나연시은정우한결이안도윤연우규리태희세아준서"
)

COMPANIES: list[tuple[str, str, str, str]] = [
    # (name, brief (ko), brief (en), description)
    ("한빛AI", "금융 상담 챗봇 고도화", "A better financial advice chatbot", "대화형 AI 스타트업"),
    (
        "누리비전",
        "제조 불량 검출 비전 모델",
        "Vision model for manufacturing defects",
        "산업용 컴퓨터 비전",
    ),
    (
        "새벽데이터",
        "뉴스 기사 요약과 분류",
        "News summarisation and classification",
        "미디어 데이터 분석",
    ),
    (
        "바다로보틱스",
        "물류 로봇 경로 최적화",
        "Route optimisation for logistics robots",
        "물류 자동화",
    ),
    ("초록헬스", "의료 영상 판독 보조", "Assisted reading of medical images", "디지털 헬스케어"),
    ("하늘모빌리티", "교통 수요 예측", "Traffic demand forecasting", "모빌리티 플랫폼"),
    ("별빛에듀", "맞춤형 학습 추천", "Personalised learning recommendations", "에듀테크"),
    (
        "온새미로",
        "공공 민원 자동 분류",
        "Routing public complaints automatically",
        "공공 AI 솔루션",
    ),
    ("다온보안", "이상 거래 탐지", "Fraud and anomaly detection", "보안과 금융 AI"),
    ("가람음성", "한국어 음성 인식 개선", "Better Korean speech recognition", "음성 AI"),
    ("미리내커머스", "상품 추천과 검색", "Product recommendation and search", "이커머스 AI"),
]

SKILLS = ["vision", "nlp", "backend", "frontend", "data", "mlops", "design", "speech"]


def korean_names(count: int, rng: random.Random) -> list[str]:
    """Distinct invented Korean names (surname + two syllables)."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names
